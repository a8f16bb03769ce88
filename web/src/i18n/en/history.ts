// Strings of the history pages. Add a key here and the same key in ../de/history.ts.
export default {
  title: 'History',
};
