/**
 * The three.js side of the 3D preview. Loaded only when a preview is on screen (its own chunk), so
 * the dashboard never downloads three.js.
 *
 * The scene is drawn on demand (when the view moves, the size or the colours change), not in a
 * loop: an idle preview costs nothing. Millimetres, Z up, as slicers and 3MF have it.
 */
import {
  AmbientLight,
  BufferAttribute,
  BufferGeometry,
  Color,
  DirectionalLight,
  EdgesGeometry,
  GridHelper,
  HemisphereLight,
  LineBasicMaterial,
  LineSegments,
  Mesh,
  MeshStandardMaterial,
  PerspectiveCamera,
  Scene,
  Vector3,
  WebGLRenderer,
} from 'three';
import { OrbitControls } from 'three/addons/controls/OrbitControls.js';

import type { DecodedMesh } from './mesh-data';

export interface SceneColours {
  mesh: string;
  /** The outline of sharp edges, so a white part on a light page still reads. */
  edge: string;
  grid: string;
  gridCentre: string;
}

/** Outlining costs a pass over every triangle; beyond this many the shading alone has to do. */
const MAX_OUTLINED_TRIANGLES = 200_000;

export interface PreviewScene {
  setColours(colours: SceneColours): void;
  /** Back to the starting view: the whole object, seen from the front right, a little above. */
  resetView(): void;
  dispose(): void;
}

/** three.js draws with WebGL 2 only; headless browsers and some locked-down machines have none. */
export function webglAvailable(): boolean {
  try {
    const canvas = document.createElement('canvas');
    const context = canvas.getContext('webgl2');
    if (!context) return false;
    context.getExtension('WEBGL_lose_context')?.loseContext();
    return true;
  } catch {
    return false;
  }
}

/** The build plate under the object: 10 mm squares, a little wider than the object, at its lowest point. */
function plateFor(mesh: DecodedMesh, colours: SceneColours): GridHelper {
  const { min, max } = mesh.bounds;
  const extent = Math.max(max[0] - min[0], max[1] - min[1], 1);
  const cell = extent > 400 ? 50 : 10;
  const size = Math.max(Math.ceil((extent * 1.6) / cell) * cell, cell * 4);
  const grid = new GridHelper(size, size / cell, colours.gridCentre, colours.grid);
  grid.rotation.x = Math.PI / 2;
  grid.position.set((min[0] + max[0]) / 2, (min[1] + max[1]) / 2, min[2]);
  return grid;
}

export function createPreview(host: HTMLElement, mesh: DecodedMesh, colours: SceneColours): PreviewScene {
  const renderer = new WebGLRenderer({ antialias: true, alpha: true, powerPreference: 'low-power' });
  renderer.setPixelRatio(Math.min(window.devicePixelRatio || 1, 2));
  renderer.setClearColor(0x000000, 0);
  const canvas = renderer.domElement;
  canvas.style.display = 'block';
  canvas.style.width = '100%';
  canvas.style.height = '100%';
  canvas.style.touchAction = 'none';
  canvas.setAttribute('aria-hidden', 'true');
  host.append(canvas);

  const scene = new Scene();
  const geometry = new BufferGeometry();
  geometry.setAttribute('position', new BufferAttribute(mesh.positions, 3));
  geometry.setIndex(new BufferAttribute(mesh.indices, 1));
  geometry.computeVertexNormals();
  geometry.computeBoundingSphere();
  // Flat shading: decimated meshes look faceted anyway, and smooth normals across sharp edges look wrong.
  const material = new MeshStandardMaterial({ color: new Color(colours.mesh), flatShading: true, roughness: 0.65, metalness: 0.05 });
  const object = new Mesh(geometry, material);
  scene.add(object);
  const edgeMaterial = new LineBasicMaterial({ color: new Color(colours.edge), transparent: true, opacity: 0.45 });
  const edges = mesh.triangleCount <= MAX_OUTLINED_TRIANGLES ? new LineSegments(new EdgesGeometry(geometry, 35), edgeMaterial) : null;
  if (edges) scene.add(edges);

  let grid = plateFor(mesh, colours);
  scene.add(grid);

  // Soft light from everywhere, sky above and a light floor below, so no side turns black.
  scene.add(new AmbientLight(0xffffff, 0.55));
  const sky = new HemisphereLight(0xffffff, 0xaab4c4, 1.1);
  sky.position.set(0, 0, 1);
  scene.add(sky);
  const camera = new PerspectiveCamera(40, 1, 0.1, 10_000);
  camera.up.set(0, 0, 1);
  // A light that moves with the camera keeps the side you look at lit.
  const headlight = new DirectionalLight(0xffffff, 1.4);
  headlight.position.set(0.6, 1, 0.8);
  camera.add(headlight);
  scene.add(camera);

  const controls = new OrbitControls(camera, canvas);
  controls.enableDamping = false;
  controls.screenSpacePanning = true;

  const { min, max } = mesh.bounds;
  const centre = new Vector3((min[0] + max[0]) / 2, (min[1] + max[1]) / 2, (min[2] + max[2]) / 2);
  const radius = Math.max(new Vector3(max[0] - min[0], max[1] - min[1], max[2] - min[2]).length() / 2, 1);

  const render = () => renderer.render(scene, camera);

  function resetView() {
    const distance = (radius / Math.sin(((camera.fov / 2) * Math.PI) / 180)) * 1.15;
    const direction = new Vector3(0.9, -1.4, 0.95).normalize();
    camera.position.copy(centre).addScaledVector(direction, distance);
    camera.near = distance / 100;
    camera.far = distance * 100;
    camera.updateProjectionMatrix();
    controls.target.copy(centre);
    controls.minDistance = radius * 0.3;
    controls.maxDistance = distance * 6;
    controls.update();
    render();
  }

  function resize() {
    const width = host.clientWidth;
    const height = host.clientHeight;
    if (width === 0 || height === 0) return;
    renderer.setSize(width, height, false);
    camera.aspect = width / height;
    camera.updateProjectionMatrix();
    render();
  }

  controls.addEventListener('change', render);
  const observer = new ResizeObserver(resize);
  observer.observe(host);
  resize();
  resetView();

  return {
    setColours(next) {
      material.color.set(next.mesh);
      edgeMaterial.color.set(next.edge);
      scene.remove(grid);
      grid.dispose();
      grid = plateFor(mesh, next);
      scene.add(grid);
      render();
    },
    resetView,
    dispose() {
      observer.disconnect();
      controls.removeEventListener('change', render);
      controls.dispose();
      geometry.dispose();
      material.dispose();
      edges?.geometry.dispose();
      edgeMaterial.dispose();
      grid.dispose();
      renderer.dispose();
      // Browsers allow only a handful of live WebGL contexts: give this one back now, not at garbage collection.
      renderer.forceContextLoss();
      canvas.remove();
    },
  };
}
