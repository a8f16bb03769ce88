// Strings of the setup pages. Add a key here and the same key in ../de/setup.ts.
export default {
  title: 'Setup',
};
