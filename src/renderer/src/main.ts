// Renderer entry: one Vue app with Pinia. Stores live in src/renderer/src/stores (one per domain).

import { createApp } from 'vue';
import { createPinia } from 'pinia';
import App from './App.vue';

createApp(App).use(createPinia()).mount('#app');
