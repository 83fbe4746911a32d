/**
 * `yarn atlas`: brings the Mini-Atlas platform up on a laptop with Docker (`up`), shows it
 * (`status`), takes it down (`down`) and serves this repository to Flux (`serve-git`).
 *
 * @packageDocumentation
 */

export { main, runAtlas } from './program';
export { upCommand, validateUpOptions } from './commands/up';
export type { UpOptions } from './commands/up';
export { downCommand } from './commands/down';
export type { DownOptions } from './commands/down';
export { statusCommand } from './commands/status';
export type { StatusOptions } from './commands/status';
export { serveGitCommand } from './commands/serveGit';
export type { ServeGitOptions } from './commands/serveGit';
export {
  COMMAND_NOT_FOUND,
  CommandFailedError,
  createProcessRunner,
  formatCommand,
  runChecked,
} from './runner';
export type {
  CommandRunner,
  DetachedOptions,
  RunOptions,
  RunResult,
} from './runner';
export { atlasPaths, createDefaultEnvironment } from './environment';
export type {
  AtlasEnvironment,
  AtlasPaths,
  Clock,
  Output,
  ProcessControl,
} from './environment';
export { ExitCode } from './exitCodes';
export type { ExitCodeValue } from './exitCodes';
export { formatElapsed, parseDuration } from './duration';
export { kindContext, platform } from './platform';
export { checkPrerequisites } from './prerequisites';
export type { Tool, ToolCheck } from './prerequisites';
export { startGitServer } from './gitServer';
export type { GitServerOptions, RunningGitServer } from './gitServer';
export {
  ensureDetachedGitServer,
  gitServerFiles,
  gitServerUrl,
  isGitServerProcess,
  readGitServerState,
  stopGitServer,
} from './gitServerProcess';
export type { GitServerState } from './gitServerProcess';
export { kindNetworkGateway, parseIpv4Gateway } from './dockerNetwork';
export { readWorkspaceNames, setGitRepositoryUrl } from './gitops';
export type { RenderedEntryPoint } from './gitops';
export { kubectlList } from './kube';
export {
  describeLayerState,
  expectedLayerKustomizations,
  waitForLayers,
} from './waitForLayers';
export type { LayerState, WaitForLayersOptions } from './waitForLayers';
export { checkClusterReachable, collectStatus } from './status/collectStatus';
export {
  renderStatusJson,
  renderStatusTable,
  shortenRevisions,
} from './status/renderStatus';
export {
  layerOfKustomization,
  summarizeInstance,
  summarizeKustomization,
  summarizeObject,
} from './status/summarize';
export type { Layer, PlatformStatus, StatusItem } from './status/types';
