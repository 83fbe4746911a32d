import { createApp } from '@backstage/frontend-defaults';
import { homeModule } from './modules/home';
import { navModule } from './modules/nav';

/**
 * The Mini-Atlas portal. Plugins are discovered from this package's dependencies
 * (`app.packages: all` in app-config.yaml); this file only adds the app's own modules.
 */
export default createApp({
  features: [navModule, homeModule],
});
