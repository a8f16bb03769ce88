// Placeholder: replaced by the page itself.
export default function LoginPage() {
  return <div>LoginPage</div>;
}
