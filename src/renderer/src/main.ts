// Renderer entry: one Vue app with Pinia. Stores live in src/renderer/src/stores (one per domain).
// theme.ts is imported before mounting so the first paint already has the right colours.

import { createApp } from 'vue';
import { createPinia } from 'pinia';
import './styles/theme.css';
import './styles/theme';
import App from './App.vue';

createApp(App).use(createPinia()).mount('#app');
