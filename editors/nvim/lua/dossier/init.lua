-- Dossier for every Neovim from 0.7 on: `require('dossier').setup(opts)`.
--
-- On 0.11 and later this hands over to the built-in configuration (`vim.lsp.config` with
-- `lsp/dossier.lua`, then `vim.lsp.enable('dossier')`), so calling it next to
-- `vim.lsp.enable('dossier')` never starts a second server. On 0.8–0.10 it starts the server
-- with `vim.lsp.start` from a FileType autocommand; on 0.7 with `vim.lsp.start_client`, one
-- client per root, attached to each brief.
--
-- opts: any client config key (`cmd`, `filetypes`, `root_markers`, `init_options`,
-- `capabilities`, `on_attach`, `settings`, ...), laid over the defaults below.

local M = {}

M.defaults = {
  name = 'dossier',
  cmd = { 'dossier', 'lsp' },
  filetypes = { 'markdown' },
  root_markers = { 'dossier.toml', '.git' },
}

-- The config `setup` was last called with (0.7–0.10).
local config = nil
-- 0.7: client id per root ('' for none), since 0.7 has no vim.lsp.start to reuse clients.
local clients = {}
local warned_missing = false

local function merge(base, extra)
  return vim.tbl_deep_extend('force', {}, base, extra or {})
end

-- The nearest folder above `path` holding one of `markers`, like 0.11's vim.fs.root.
function M.find_root(path, markers)
  if path == nil or path == '' then
    return nil
  end
  local dir = vim.fn.fnamemodify(path, ':p:h')
  while true do
    for _, marker in ipairs(markers) do
      if vim.loop.fs_stat(dir .. '/' .. marker) then
        return dir
      end
    end
    local parent = vim.fn.fnamemodify(dir, ':h')
    if parent == dir then
      return nil
    end
    dir = parent
  end
end

local function start_0_7(client_config, bufnr)
  local key = client_config.root_dir or ''
  local id = clients[key]
  local client = id and vim.lsp.get_client_by_id(id)
  if not client or client.is_stopped() then
    id = vim.lsp.start_client(client_config)
    if not id then
      return nil
    end
    clients[key] = id
  end
  vim.lsp.buf_attach_client(bufnr, id)
  return id
end

--- Starts (or reuses) the server for one buffer. Returns the client id, or nil.
function M.start(bufnr)
  bufnr = bufnr or vim.api.nvim_get_current_buf()
  if config == nil or vim.bo[bufnr].buftype ~= '' then
    return nil -- not set up, or not a file (hover windows are markdown too)
  end
  if vim.fn.executable(config.cmd[1]) ~= 1 then
    if not warned_missing then
      warned_missing = true
      vim.notify(
        ('dossier: `%s` is not on PATH (cargo install --path . in the Dossier repository)'):format(
          config.cmd[1]
        ),
        vim.log.levels.WARN
      )
    end
    return nil
  end
  local client_config = merge(config, {
    root_dir = M.find_root(vim.api.nvim_buf_get_name(bufnr), config.root_markers),
  })
  client_config.root_markers = nil
  client_config.filetypes = nil
  if vim.lsp.start then
    return vim.lsp.start(client_config, { bufnr = bufnr })
  end
  return start_0_7(client_config, bufnr)
end

function M.setup(opts)
  opts = opts or {}
  if vim.lsp.config ~= nil and vim.lsp.enable ~= nil then
    -- 0.11+: the built-in way; lsp/dossier.lua on the runtimepath supplies the defaults.
    if next(opts) ~= nil then
      vim.lsp.config('dossier', opts)
    end
    if vim.lsp.config.dossier == nil or vim.lsp.config.dossier.cmd == nil then
      -- lsp/dossier.lua is not on the runtimepath (only lua/ was copied).
      local defaults = merge(M.defaults, {})
      defaults.name = nil
      vim.lsp.config('dossier', merge(defaults, opts))
    end
    vim.lsp.enable('dossier')
    return
  end

  config = merge(M.defaults, opts)
  local group = vim.api.nvim_create_augroup('dossier', { clear = true })
  vim.api.nvim_create_autocmd('FileType', {
    group = group,
    pattern = config.filetypes,
    callback = function(args)
      M.start(args.buf)
    end,
  })
  -- Briefs opened before setup ran.
  for _, bufnr in ipairs(vim.api.nvim_list_bufs()) do
    if vim.api.nvim_buf_is_loaded(bufnr) and vim.tbl_contains(config.filetypes, vim.bo[bufnr].filetype) then
      M.start(bufnr)
    end
  end
end

return M
