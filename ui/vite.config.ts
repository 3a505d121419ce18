// Vite builds the UI into ui/dist, which the Tauri app embeds (tauri.conf.json build.frontendDist).
import { defineConfig } from "vitest/config";
import { svelte } from "@sveltejs/vite-plugin-svelte";

export default defineConfig({
  plugins: [svelte()],
  clearScreen: false,
  server: { port: 1420, strictPort: true },
  build: {
    outDir: "dist",
    emptyOutDir: true,
    target: "es2022",
    // Source maps are not shipped: the app serves only what it needs.
    sourcemap: false,
  },
  test: {
    include: ["src/**/*.test.ts"],
    environment: "node",
    // contrast.test.ts reads the palette from app.css (`?raw`): let it through.
    css: { include: [/app\.css/] },
  },
});
