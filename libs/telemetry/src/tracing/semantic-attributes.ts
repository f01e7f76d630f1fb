/**
 * The stable OpenTelemetry attribute names these spans use. Importing `@opentelemetry/semantic-conventions`
 * for six strings would load its whole attribute catalogue (~330 KB of source) into every process;
 * `semantic-attributes.spec.ts` pins each value to the package's own constant.
 */
export const ATTR_HTTP_REQUEST_METHOD = 'http.request.method';
export const ATTR_HTTP_RESPONSE_STATUS_CODE = 'http.response.status_code';
export const ATTR_HTTP_ROUTE = 'http.route';
export const ATTR_URL_PATH = 'url.path';
export const ATTR_SERVICE_NAME = 'service.name';
export const ATTR_SERVICE_VERSION = 'service.version';
