// How much a screenshot of the canvas looks like a MIWG reference picture, measured in the page
// (the browser decodes both PNGs, so no image library is needed). `matchPictures` is passed to
// `page.evaluate` and so must use nothing from outside its own body.
//
// The measure: both pictures are reduced to the same grid laid over the diagram's bounding box
// from its DI (shapes, edge waypoints and labels), `grid` cells along its longer side. A cell has
// ink when a pixel in it is dark (luminance below 160 and mostly opaque): outlines, lines, markers
// and text, also the designer's red outline of a node with a validation issue (luminance 148),
// not the fills tools paint in pastel colours (above 200), nor the canvas's light grid (221). The score
// is the harmonic mean of the share of our ink cells that have reference ink within one cell and
// the share of reference ink cells that have ours within one cell: 1 is the same drawing, a
// shape missing or misplaced costs the cells of its outline, a blank canvas scores 0.
//
// Where the diagram lies in our screenshot is known exactly (the canvas's own transform). Where it
// lies in the reference is not: each tool drew it at a scale and margin of its own, some with a
// logo beside it. So the reference's ink bounding box is mapped onto the diagram's, scaled by the
// box's width or by its height and anchored at its top-left or bottom-right corner (a logo
// stretches at most one dimension of the box, and on one side); the best of the four counts.
// The control gives the same search the reference turned by 180°: the same ink, the wrong
// arrangement. It shows what the measure gives a drawing that does not match.

export interface PictureInput {
  /** PNGs as base64. */
  readonly screenshot: string;
  readonly reference: string;
  /** Another diagram's picture, for the control. */
  readonly otherReference: string;
  /** Cells along the diagram box's longer side. */
  readonly grid: number;
  /** Screenshot pixel = scale × diagram coordinate + offset. */
  readonly toScreenshot: { readonly scale: number; readonly x: number; readonly y: number };
  /** The diagram's bounding box in DI coordinates. */
  readonly diagram: { readonly x: number; readonly y: number; readonly width: number; readonly height: number };
}

export interface PictureMatch {
  readonly score: number;
  /** The best alignment's name: the dimension the scale came from and the corner anchored. */
  readonly alignment: string;
  /** The reference turned by 180°, and another diagram's picture, with the same search. */
  readonly turned: number;
  readonly other: number;
  /** Ink cells: ours, the reference's at the best alignment. */
  readonly oursInk: number;
  readonly referenceInk: number;
  readonly grid: string;
}

export async function matchPictures(input: PictureInput): Promise<PictureMatch> {
  const GRID = input.grid;
  const decode = async (base64: string): Promise<ImageData> => {
    const bytes = Uint8Array.from(atob(base64), (character) => character.charCodeAt(0));
    const bitmap = await createImageBitmap(new Blob([bytes], { type: 'image/png' }));
    const canvas = new OffscreenCanvas(bitmap.width, bitmap.height);
    const context = canvas.getContext('2d');
    if (!context) throw new Error('no 2D context');
    context.drawImage(bitmap, 0, 0);
    return context.getImageData(0, 0, bitmap.width, bitmap.height);
  };
  const isInk = (image: ImageData, index: number) => {
    const { data } = image;
    const luminance = 0.299 * (data[index] ?? 255) + 0.587 * (data[index + 1] ?? 255) + 0.114 * (data[index + 2] ?? 255);
    return (data[index + 3] ?? 0) >= 128 && luminance < 160;
  };

  const { diagram } = input;
  const cell = Math.max(diagram.width, diagram.height) / GRID;
  const columns = Math.ceil(diagram.width / cell) + 1;
  const rows = Math.ceil(diagram.height / cell) + 1;
  /** Ink cells of an image whose pixel (px, py) shows diagram point (toDiagram(px, py)). */
  const maskOf = (image: ImageData, toDiagram: (px: number, py: number) => [number, number]) => {
    const mask = new Uint8Array(columns * rows);
    for (let py = 0; py < image.height; py += 1) {
      for (let px = 0; px < image.width; px += 1) {
        if (!isInk(image, (py * image.width + px) * 4)) continue;
        const [x, y] = toDiagram(px + 0.5, py + 0.5);
        const column = Math.floor((x - diagram.x) / cell);
        const row = Math.floor((y - diagram.y) / cell);
        if (column >= 0 && column < columns && row >= 0 && row < rows) mask[row * columns + column] = 1;
      }
    }
    return mask;
  };
  const near = (mask: Uint8Array, column: number, row: number) => {
    for (let dy = -1; dy <= 1; dy += 1) {
      for (let dx = -1; dx <= 1; dx += 1) {
        const c = column + dx;
        const r = row + dy;
        if (c >= 0 && c < columns && r >= 0 && r < rows && mask[r * columns + c]) return true;
      }
    }
    return false;
  };
  const count = (mask: Uint8Array) => mask.reduce((sum, value) => sum + value, 0);
  /** Harmonic mean of the two shares of ink cells with the other's ink within one cell. */
  const compare = (ours: Uint8Array, theirs: Uint8Array) => {
    let oursMatched = 0;
    let theirsMatched = 0;
    for (let row = 0; row < rows; row += 1) {
      for (let column = 0; column < columns; column += 1) {
        const index = row * columns + column;
        if (ours[index] && near(theirs, column, row)) oursMatched += 1;
        if (theirs[index] && near(ours, column, row)) theirsMatched += 1;
      }
    }
    const precision = oursMatched / Math.max(1, count(ours));
    const recall = theirsMatched / Math.max(1, count(theirs));
    return precision + recall === 0 ? 0 : (2 * precision * recall) / (precision + recall);
  };

  const screenshot = await decode(input.screenshot);
  const { scale, x: offsetX, y: offsetY } = input.toScreenshot;
  const ours = maskOf(screenshot, (px, py) => [(px - offsetX) / scale, (py - offsetY) / scale]);

  /** The best of the four alignments of a picture's ink box onto the diagram's box. */
  const bestAlignment = (picture: ImageData, turned: boolean) => {
    let left = picture.width;
    let top = picture.height;
    let right = -1;
    let bottom = -1;
    for (let py = 0; py < picture.height; py += 1) {
      for (let px = 0; px < picture.width; px += 1) {
        if (!isInk(picture, (py * picture.width + px) * 4)) continue;
        left = Math.min(left, px);
        right = Math.max(right, px + 1);
        top = Math.min(top, py);
        bottom = Math.max(bottom, py + 1);
      }
    }
    if (right < 0) throw new Error('a reference picture has no ink');
    const scales = { width: (right - left) / diagram.width, height: (bottom - top) / diagram.height };
    let best = { score: -1, alignment: '', ink: 0 };
    for (const [dimension, pictureScale] of Object.entries(scales)) {
      for (const corner of ['top-left', 'bottom-right']) {
        const toDiagram = (px: number, py: number): [number, number] => {
          const [qx, qy] = turned ? [left + right - px, top + bottom - py] : [px, py];
          return corner === 'top-left'
            ? [diagram.x + (qx - left) / pictureScale, diagram.y + (qy - top) / pictureScale]
            : [diagram.x + diagram.width - (right - qx) / pictureScale, diagram.y + diagram.height - (bottom - qy) / pictureScale];
        };
        const theirs = maskOf(picture, toDiagram);
        const score = compare(ours, theirs);
        if (score > best.score) best = { score, alignment: `${dimension}, ${corner}`, ink: count(theirs) };
      }
    }
    return best;
  };
  const reference = await decode(input.reference);
  const matched = bestAlignment(reference, false);
  const turned = bestAlignment(reference, true);
  const other = bestAlignment(await decode(input.otherReference), false);
  return {
    score: matched.score,
    alignment: matched.alignment,
    turned: turned.score,
    other: other.score,
    oursInk: count(ours),
    referenceInk: matched.ink,
    grid: `${columns}×${rows} cells of ${cell.toFixed(1)}`,
  };
}
