import { createBackend } from '@backstage/backend-defaults';
import { kubernetesModuleAtlasCluster } from '@mini-atlas/plugin-atlas-backend';

const backend = createBackend();

backend.add(import('@backstage/plugin-app-backend'));

// sign-in: the guest provider for local use
backend.add(import('@backstage/plugin-auth-backend'));
backend.add(import('@backstage/plugin-auth-backend-module-guest-provider'));

// catalog, with templates as entities
backend.add(import('@backstage/plugin-catalog-backend'));
backend.add(
  import('@backstage/plugin-catalog-backend-module-scaffolder-entity-model'),
);
backend.add(import('@backstage/plugin-catalog-backend-module-logs'));
// Mini-Atlas: every workspace and request in gitops/ as catalog entities
backend.add(import('@mini-atlas/plugin-catalog-backend-module-atlas'));

// software templates
backend.add(import('@backstage/plugin-scaffolder-backend'));
// Mini-Atlas wizards: render, preview and publish requests into gitops/
backend.add(import('@mini-atlas/plugin-scaffolder-backend-module-atlas'));

// kubernetes tab; with no cluster configured it only warns
backend.add(import('@backstage/plugin-kubernetes-backend'));
// ...pointed at the cluster the status views watch (kubeconfig context kind-mini-atlas)
// (a static import: a dynamic import() of a TypeScript package in `yarn dev` only has `default`)
backend.add(kubernetesModuleAtlasCluster);

// permissions: allow-all until the platform's own policy lands
backend.add(import('@backstage/plugin-permission-backend'));
backend.add(
  import('@backstage/plugin-permission-backend-module-allow-all-policy'),
);

// search over the catalog, in memory (Lunr) by default
backend.add(import('@backstage/plugin-search-backend'));
backend.add(import('@backstage/plugin-search-backend-module-catalog'));

// events bus between plugins, and push to the browser
backend.add(import('@backstage/plugin-events-backend'));
backend.add(import('@backstage/plugin-signals-backend'));

// Mini-Atlas: the platform's API over Git and the cluster
backend.add(import('@mini-atlas/plugin-atlas-backend'));

backend.start();
