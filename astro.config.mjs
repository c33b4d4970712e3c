// @ts-check
import { defineConfig } from 'astro/config';

// For editors and `astro check` only: `dockpeek-security build` renders with its own inline
// configuration (pipeline/site/render/astro-build.ts), the same as this plus the site model.
// A static site that works from file://, at / and under any sub-path: every page is a plain .html
// file, every link relative, styles inlined, the one script a file, nothing fetched from elsewhere.
export default defineConfig({
  output: 'static',
  build: { format: 'file', inlineStylesheets: 'always' },
  trailingSlash: 'ignore',
  devToolbar: { enabled: false },
});
