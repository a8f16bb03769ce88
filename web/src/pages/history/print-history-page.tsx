// Placeholder: replaced by the page itself.
export default function PrintHistoryPage() {
  return <div>PrintHistoryPage</div>;
}
