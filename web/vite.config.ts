// Builds the dashboard's islands into app/dashboard/static/dist, read back through Vite's
// manifest by app/dashboard/assets.py. Every file is served by Waqai itself: no CDN.
import { resolve } from "node:path";
import { defineConfig } from "vite";

const islands = ["base", "explorer", "map", "eventmap", "record", "tracker", "edtf"];

export default defineConfig({
  base: "/static/dist/",
  build: {
    outDir: resolve(import.meta.dirname, "../app/dashboard/static/dist"),
    emptyOutDir: true,
    manifest: true,
    // A strict Content-Security-Policy: fonts and images are files, never data: URIs.
    assetsInlineLimit: 0,
    chunkSizeWarningLimit: 1024, // vis-timeline alone is half a megabyte
    rollupOptions: {
      input: Object.fromEntries(islands.map((name) => [name, resolve(import.meta.dirname, `src/${name}.ts`)])),
    },
  },
});
