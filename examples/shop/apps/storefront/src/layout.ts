import { banner } from './components/banner';

export function layout(title: string, body: string): string {
  return `<!doctype html>
<html lang="en">
<head><meta charset="utf-8"><title>${title} · Shop</title></head>
<body>
${banner()}
<main>${body}</main>
</body>
</html>
`;
}
