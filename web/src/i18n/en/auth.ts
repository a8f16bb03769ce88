// Strings of the auth pages. Add a key here and the same key in ../de/auth.ts.
export default {
  title: 'Auth',
};
