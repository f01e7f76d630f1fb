import type { ServerStatusBody } from '../server/server-state.js';

const ENDPOINTS = [
  '<li><a href="/">/</a> - This welcome page</li>',
  '<li><a href="/status">/status</a> - JSON status endpoint</li>',
  '<li><a href="/health">/health</a> - Health check endpoint</li>',
  '<li><a href="/stats">/stats</a> - KV store stats</li>',
  '<li>/kv/&lt;key&gt; - GET/PUT/DELETE key/value</li>',
  '<li>/kv/keys?prefix=&amp;limit= - List keys</li>',
  '<li>/kv/mget - POST body {"keys": ["a", "b"]}</li>',
  '<li><a href="/replication/info">/replication/info</a> - Replication metadata</li>',
  '<li><a href="/replication/status">/replication/status</a> - Follower status</li>',
  '<li><a href="/replication/snapshot">/replication/snapshot</a> - Snapshot file</li>',
  '<li>/replication/aof?since=0 - AOF stream</li>',
].join('\n        ');

/** The welcome page of `GET /`, like upstream's: title "Toska Server", the status, the endpoints. */
export function homePage(status: ServerStatusBody): string {
  const details =
    status.config === null
      ? '<p>Server status information unavailable.</p>'
      : `<p><strong>Uptime:</strong> ${formatUptime(status.uptime ?? 0)}</p>
        <p><strong>Configuration:</strong></p>
        <pre>${escapeHtml(JSON.stringify(status.config, null, 2))}</pre>`;
  return `<!DOCTYPE html>
<html>
<head>
  <title>Toska Server</title>
  <style>
    body { font-family: Arial, sans-serif; margin: 40px; }
    .status { padding: 20px; border-radius: 5px; margin: 20px 0; }
    .running { background-color: #d4edda; border: 1px solid #c3e6cb; color: #155724; }
    .starting { background-color: #fff3cd; border: 1px solid #ffeaa7; color: #856404; }
    pre { background-color: #f8f9fa; padding: 15px; border-radius: 5px; overflow-x: auto; }
  </style>
</head>
<body>
  <h1>Toska Server</h1>
  <div class="status ${status.status}">
    <h2>Server Status: ${status.status.toUpperCase()}</h2>
    ${details}
  </div>
  <h3>Available Endpoints:</h3>
  <ul>
        ${ENDPOINTS}
  </ul>
</body>
</html>
`;
}

function formatUptime(ms: number): string {
  const seconds = Math.floor(ms / 1000);
  const minutes = Math.floor(seconds / 60);
  const hours = Math.floor(minutes / 60);
  if (hours > 0) return `${hours}h ${minutes % 60}m ${seconds % 60}s`;
  if (minutes > 0) return `${minutes}m ${seconds % 60}s`;
  return `${seconds}s`;
}

function escapeHtml(text: string): string {
  return text.replace(/[&<>"]/g, (char) => `&#${char.charCodeAt(0)};`);
}
