import './zod-config.ts';
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { createConsoleClient, pickTransport } from './api/client.ts';
import { App } from './app/App.tsx';
import './theme/global.css';

const container = document.getElementById('root');
if (container === null) throw new Error('index.html lost its #root element.');

createRoot(container).render(
  <StrictMode>
    <App client={createConsoleClient(pickTransport())} />
  </StrictMode>,
);
