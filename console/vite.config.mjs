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
  },
  logLevel: 'warn',
});
