// Stands in for Node's `http` and `https` in the browser bundle (see vite.config.ts).
export default {};
