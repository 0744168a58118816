export { check, analyse, type CheckResult, type CheckOptions, type Analysis } from './check.js';
