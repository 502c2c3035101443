-- Dossier for Neovim 0.11+: with `editors/nvim` on the runtimepath, `vim.lsp.enable('dossier')`
-- is all a user writes. Neovim merges this table with whatever `vim.lsp.config('dossier', {...})`
-- adds, so every key below can be changed without copying the file.
--
-- Settings go to the server as `initializationOptions`; they take the keys of `dossier.toml`'s
-- `[corpus]` and `[diagnostics]` and override that file for this editor:
--
--   vim.lsp.config('dossier', {
--     init_options = {
--       corpus = { paths = { 'sources', 'archive/2024' } },        -- relative to the root
--       diagnostics = { ['uncited-claim'] = 'warning', misquote = 'off' },
--     },
--   })
--
-- Severities: 'error' | 'warning' | 'information' | 'hint' | 'off'. Codes: unknown-source,
-- unknown-locator, misquote, contradicts-source, unsupported-claim, uncited-claim. Nothing is
-- set here by default, so a workspace's `dossier.toml` decides. The settings are read once,
-- when the server starts: after changing them, `:lsp restart` (0.12) or restart Neovim.
return {
  cmd = { 'dossier', 'lsp' },
  filetypes = { 'markdown' },
  -- The server itself walks up from the root to the nearest dossier.toml; with neither marker
  -- (a brief in a scratch folder) it starts without a root and uses the bundled seed corpus.
  root_markers = { 'dossier.toml', '.git' },
}
