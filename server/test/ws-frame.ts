export { frameText } from '../src/core/http/ws-frame.js';
