// Entry point: mounts the app shell into #app, over the real (Tauri) backend.
import { mount } from "svelte";
import App from "./App.svelte";
import { tauriBackend } from "./lib/backend/tauriBackend";
import "./app.css";

const target = document.getElementById("app");
if (!target) throw new Error("missing #app element");

mount(App, { target, props: { backend: tauriBackend } });
