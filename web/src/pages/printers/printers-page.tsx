// Placeholder: replaced by the page itself.
export default function PrintersPage() {
  return <div>PrintersPage</div>;
}
