import type en from '../en/setup';
import type { MessagesShape } from '../en';

const de: MessagesShape<typeof en> = {
  title: 'Setup',
};
export default de;
