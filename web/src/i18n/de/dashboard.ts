import type en from '../en/dashboard';
import type { MessagesShape } from '../en';

const de: MessagesShape<typeof en> = {
  title: 'Dashboard',
};
export default de;
