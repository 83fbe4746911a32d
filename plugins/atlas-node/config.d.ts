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
    /**
     * The cluster the status views watch (lists and watches only; Secrets are never read).
     * Without a reachable cluster the views show the desired state from Git and say why.
     */
    kubernetes?: {
      /** Watch the cluster at all. Default true. */
      enabled?: boolean;
      /**
       * Path of the kubeconfig file. Default: the first file in `$KUBECONFIG`, else
       * `~/.kube/config`; re-read on every connection attempt.
       */
      kubeconfig?: string;
      /**
       * Context of the kubeconfig to use. Default `kind-mini-atlas` (the cluster `yarn atlas up`
       * creates) when the kubeconfig has it, else the in-cluster service account. Another
       * current-context is never used unless named here.
       */
      context?: string;
    };
  };
}
