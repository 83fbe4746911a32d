export interface Config {
  /** Mini-Atlas: the platform folder the portal reads and writes, and the cluster it watches. */
  atlas?: {
    gitops?: {
      /**
       * The git working tree the portal writes requests to. Default: the repository the backend
       * runs in (the nearest folder above it with both `.git` and the gitops folder).
       */
      repository?: string;
      /** The platform folder inside the repository. Default `gitops`. */
      path?: string;
      /** Follow edits made by hand in the folder. Default true. */
      watch?: boolean;
    };
  };
}
