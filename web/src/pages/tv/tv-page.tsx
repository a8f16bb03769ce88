// Placeholder: replaced by the page itself.
export default function TvPage() {
  return <div>TvPage</div>;
}
