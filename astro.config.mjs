// @ts-check
import { defineConfig } from 'astro/config';

// Static output with relative-friendly URLs; `build` (issue #4) publishes to DOCKPEEK_SITE_DIR.
export default defineConfig({
  output: 'static',
  outDir: process.env.DOCKPEEK_BUILD_DIR || './dist',
  build: { format: 'directory' },
  trailingSlash: 'always',
  devToolbar: { enabled: false },
});
