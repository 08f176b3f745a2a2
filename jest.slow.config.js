/**
 * `npm run test:slow`: the slow layer, the test files listed in
 * __tests__/layers.js, with the same set-up as `npm test`.
 * @type {import('jest').Config}
 */
const base = require('./jest.config');
const { SLOW } = require('./__tests__/layers');

module.exports = {
  ...base,
  testPathIgnorePatterns: ['/node_modules/'],
  testMatch: Object.keys(SLOW).map((f) => `**/__tests__/${f}`),
};
