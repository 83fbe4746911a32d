/**
 * Mini-Atlas scaffolder module: the wizard actions that validate, render, preview and publish
 * KRO instances of the platform's abstractions into `gitops/`, and the generator of the
 * wizards' templates from the ResourceGraphDefinitions.
 *
 * @packageDocumentation
 */

export { scaffolderModuleAtlas as default } from './module';
export * from './actions/renderRequest';
export * from './actions/publishRequest';
export * from './services/wizardService';
export type { PreviewResource } from './lib/preview';
