export { recursionLimitFor } from './recursion-limit';
