// The build process: the CLI forks it for each build, in the build's own work folder, so nothing
// of a build stays in the CLI process. It renders with the compiled renderer (compile-main.ts).
import { serveOneJob } from './child.ts';
import { renderSite } from './render-site.ts';

serveOneJob(renderSite);
