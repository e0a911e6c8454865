import { Sources } from './Sources';
import { RunBar } from './RunBar';
import { Controls } from './Controls';
import { Gallery } from './Gallery';
import { Detail } from './Detail';
import { Messages } from './Messages';
import { WindowDrop } from './WindowDrop';
import { ThemeSelect } from './Theme';
import { KeptResults } from './KeptResults';
import { UpdatePrompt } from './UpdatePrompt';

export function App() {
  return (
    <div className="app">
      <header className="top">
        <div className="title-row">
          <h1>Grad-CAM Explorer</h1>
          <ThemeSelect />
        </div>
        <p className="tagline">See what your image model looks at — across a whole labelled test set, in your browser. Nothing is uploaded.</p>
      </header>
      <WindowDrop />
      <main>
        <UpdatePrompt />
        <Messages />
        <KeptResults />
        <Sources />
        <RunBar />
        <Controls />
        <Gallery />
        <Detail />
      </main>
      <footer className="credits">
        Demo data: <a href="https://quickdraw.withgoogle.com/data">Quick, Draw!</a> doodles by Google Creative Lab, licensed{' '}
        <a href="https://creativecommons.org/licenses/by/4.0/">CC BY 4.0</a> (first 100 of each class in the doodleNet sample files). Demo model:
        DoodleNet by Yining Shi, TF.js weights © 2018 ml5.js, MIT licence.
      </footer>
    </div>
  );
}
