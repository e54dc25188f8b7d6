import { defineConfig } from 'vite'
import preact from '@preact/preset-vite'
import { fileURLToPath } from 'node:url'

// Vite wants a default export; this is the one place the codebase uses one.
export default defineConfig({
  root: fileURLToPath(new URL('.', import.meta.url)),
  base: '/',
  plugins: [preact()],
  build: {
    outDir: fileURLToPath(new URL('./dist', import.meta.url)),
    emptyOutDir: true,
    rollupOptions: {
      // the handheld's service worker keeps its own name at the root (its scope is /handheld)
      input: {
        main: fileURLToPath(new URL('./index.html', import.meta.url)),
        'handheld-sw': fileURLToPath(new URL('./src/handheld-sw.ts', import.meta.url)),
      },
      output: {
        entryFileNames: (chunk) =>
          chunk.name === 'handheld-sw' ? 'handheld-sw.js' : 'assets/[name]-[hash].js',
      },
    },
  },
  server: {
    proxy: { '/api': 'http://localhost:3000' },
  },
})
