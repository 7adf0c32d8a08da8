import * as fs from 'node:fs';
import * as path from 'node:path';

/** The README's map of the source names every folder of src/, and nothing else. */
describe("the README's map of the source", () => {
  it('lists exactly the folders of src/', () => {
    const root = path.join(__dirname, '../..');
    const readme = fs.readFileSync(path.join(root, 'README.md'), 'utf8');
    const section = readme.slice(readme.indexOf('## The source, folder by folder'), readme.indexOf('## How a request reaches its root'));
    const listed = [...section.matchAll(/^\| `src\/([a-z-]+)` \|/gm)].map((m) => m[1]).sort();
    const folders = fs
      .readdirSync(path.join(root, 'src'), { withFileTypes: true })
      .filter((e) => e.isDirectory())
      .map((e) => e.name)
      .sort();
    expect(listed).toEqual(folders);
  });
});
