// Placeholder: replaced by the page itself.
export default function PrinterDetailPage() {
  return <div>PrinterDetailPage</div>;
}
