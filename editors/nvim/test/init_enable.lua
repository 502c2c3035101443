-- What a Neovim 0.11+ user writes in init.lua (here with `-u`, so filetype detection is
-- switched on by hand; a normal init has it on already).
local dir = assert(os.getenv('DOSSIER_NVIM_DIR'), 'DOSSIER_NVIM_DIR is not set')
vim.opt.runtimepath:prepend(dir)
vim.cmd('filetype on')

local scenario = os.getenv('DOSSIER_TEST_SCENARIO') or 'default'
if scenario == 'settings' then
  vim.lsp.config('dossier', {
    init_options = {
      corpus = { paths = { 'sources' } },
      diagnostics = { ['unknown-source'] = 'warning' },
    },
  })
end

vim.lsp.enable('dossier')

if scenario == 'both' then
  -- A user who also kept the fallback's setup() call: it must not start a second server.
  require('dossier').setup()
end
