-- What a Neovim 0.7–0.10 user writes in init.lua: the fallback, `require('dossier').setup()`.
local dir = assert(os.getenv('DOSSIER_NVIM_DIR'), 'DOSSIER_NVIM_DIR is not set')
vim.opt.runtimepath:prepend(dir)
vim.cmd('filetype on')

local scenario = os.getenv('DOSSIER_TEST_SCENARIO') or 'default'
if scenario == 'settings' then
  require('dossier').setup({
    init_options = {
      corpus = { paths = { 'sources' } },
      diagnostics = { ['unknown-source'] = 'warning' },
    },
  })
else
  require('dossier').setup()
end
