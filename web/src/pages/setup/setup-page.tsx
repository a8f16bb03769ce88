// Placeholder: replaced by the page itself.
export default function SetupPage() {
  return <div>SetupPage</div>;
}
