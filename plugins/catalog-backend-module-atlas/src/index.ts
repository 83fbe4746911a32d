/**
 * Catalog backend module of Mini-Atlas: every workspace, application, database and topic in
 * the gitops folder as a catalog entity with its owner and relations, within seconds of a
 * change.
 *
 * @packageDocumentation
 */

export { catalogModuleAtlas as default } from './module';
export {
  AtlasEntityProvider,
  type AtlasEntityProviderOptions,
  type GroupDirectory,
} from './provider/AtlasEntityProvider';
export {
  EntityBuilder,
  markUnknownOwners,
  type BuiltEntities,
  type EntityBuilderOptions,
  type EntityProblem,
} from './provider/buildEntities';
export { createCatalogGroupDirectory } from './provider/catalogGroupDirectory';
export {
  createSourceLinks,
  type SourceLinkOptions,
  type SourceLinks,
} from './provider/sourceLinks';
