// The OpenAPI document as the service builds it, without a database or a listening server
// (test/support/openapi-document.ts), for scripts that run outside Jest.
require('./register-typescript.cjs');
const { openApiDocumentOffline } = require('../../test/support/openapi-document.ts');

module.exports = { openApiDocumentOffline };
