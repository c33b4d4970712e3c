// @ts-check
import { defineConfig } from 'astro/config';

// A static site that works from file://, at / and under any sub-path: every page is a plain .html
// file, every link relative, styles and the one script inlined, nothing fetched from elsewhere.
// `dockpeek-security build` passes the output folder; DOCKPEEK_DATA_DIR says what to render.
export default defineConfig({
  output: 'static',
  outDir: process.env.DOCKPEEK_BUILD_DIR || './dist',
  build: { format: 'file', inlineStylesheets: 'always' },
  trailingSlash: 'ignore',
  devToolbar: { enabled: false },
  vite: { logLevel: 'warn' },
});
