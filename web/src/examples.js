// One example per rule family, with the settings that make its rules fire. The manifests live
// in web/examples/ (bundled as text); a test checks that each raises its family's rules.
import input from '../examples/input.yaml';
import images from '../examples/images.yaml';
import pullPolicy from '../examples/pull-policy.yaml';
import pullSecrets from '../examples/pull-secrets.yaml';
import multiTenant from '../examples/multi-tenant.yaml';

export const EXAMPLES = [
  { id: 'input', family: 'IMG0', title: 'Input: syntax, shapes, suppressions (IMG0xx)', text: input, settings: {} },
  { id: 'images', family: 'IMG1', title: 'Image references (IMG1xx)', text: images, settings: {} },
  { id: 'pull-policy', family: 'IMG2', title: 'Pull policies (IMG2xx)', text: pullPolicy, settings: {} },
  {
    id: 'pull-secrets',
    family: 'IMG3',
    title: 'Registries and pull secrets (IMG3xx)',
    text: pullSecrets,
    settings: {
      config: 'secrets: complete\nallowed_registries:\n- registry.example.com\n- ghcr.io/acme\n- 123456789012.dkr.ecr.eu-west-1.amazonaws.com\n',
    },
  },
  {
    id: 'multi-tenant',
    family: 'IMG4',
    title: 'Multi-tenant clusters (IMG4xx)',
    text: multiTenant,
    settings: { tenancy: 'multi' },
  },
];

export const DEFAULT_EXAMPLE = 'images';
