// Strings of the dashboard pages. Add a key here and the same key in ../de/dashboard.ts.
export default {
  title: 'Dashboard',
};
