import { defineConfig } from 'vite';

// Built at build time (npm run build:console, run by app/Serverless.App.csproj) and embedded in the app assembly.
// Relative base: the same build serves at /console/ (local host) and /api/console/ (Functions).
export default defineConfig({
  root: import.meta.dirname,
  base: './',
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    // Everything as files: the CSP allows no inline script or style.
    assetsInlineLimit: 0,
    modulePreload: { polyfill: false },
    cssCodeSplit: false,
    // Fixed names, no content hash: with Easy Auth on in Azure, these exact paths are excludedPaths of the Function
    // App's authsettingsV2 (infra/app/api.bicep; a test holds that list to this build's files), so the page loads
    // before sign-in. Freshness comes from ETag revalidation instead of a new name per build.
    rolldownOptions: {
      output: {
        entryFileNames: 'assets/console.js',
        chunkFileNames: 'assets/console-[name].js',
        assetFileNames: 'assets/console[extname]',
      },
    },
  },
  logLevel: 'warn',
});
