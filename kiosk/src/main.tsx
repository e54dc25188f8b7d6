/// <reference types="vite/client" />
import { render } from 'preact'
import { App } from './app.tsx'
import './styles/global.css'

const root = document.getElementById('app')
if (root) {
  render(<App />, root)
}

// keeps the kiosk's own files, so that it starts and sells even when restarted offline
if ('serviceWorker' in navigator && import.meta.env.PROD) {
  navigator.serviceWorker.register(`${import.meta.env.BASE_URL}sw.js`).catch((err: unknown) => {
    console.warn('the kiosk could not keep its files for offline starts', err)
  })
}
