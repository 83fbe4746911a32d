export * from './extensions';
export type {
  AtlasNameOptions,
  NameCheck,
  WizardInstance,
  WizardWorkspace,
} from './wizardClient';
