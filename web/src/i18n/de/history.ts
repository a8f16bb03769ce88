import type en from '../en/history';
import type { MessagesShape } from '../en';

const de: MessagesShape<typeof en> = {
  title: 'History',
};
export default de;
