-- End-to-end checks of Dossier in a real, headless Neovim (0.7 and 0.11). run.sh starts
-- Neovim with a user init (init_enable.lua or init_setup.lua) and a fixture brief, then runs
-- this file with `-c 'luafile ...'`. Each check appends one line to $DOSSIER_TEST_OUT:
-- `ok LABEL: NAME (N ms)` or `FAIL LABEL: NAME -- why`. Neovim quits at the end.

local out_path = assert(os.getenv('DOSSIER_TEST_OUT'), 'DOSSIER_TEST_OUT is not set')
local scenario = os.getenv('DOSSIER_TEST_SCENARIO') or 'default'
local v = vim.version()
local label = os.getenv('DOSSIER_TEST_LABEL') or ('nvim %d.%d.%d'):format(v.major, v.minor, v.patch)
local uv = vim.loop

local out = assert(io.open(out_path, 'a'))
local function record(line)
  out:write(line, '\n')
  out:flush()
end

local function check(name, fn)
  local started = uv.hrtime()
  local ok, err = pcall(fn)
  local ms = math.floor((uv.hrtime() - started) / 1e6)
  if ok then
    record(('ok %s: %s (%d ms)'):format(label, name, ms))
  else
    local why = tostring(err):gsub('\n', ' | ')
    record(('FAIL %s: %s -- %s'):format(label, name, why:sub(1, 600)))
  end
  return ok
end

local function inspect(value)
  return (vim.inspect(value):gsub('%s+', ' '))
end

local function dossier_clients(bufnr)
  local found = {}
  if vim.lsp.get_clients then
    found = vim.lsp.get_clients({ bufnr = bufnr, name = 'dossier' })
  else
    local all = bufnr and vim.lsp.buf_get_clients(bufnr) or vim.lsp.get_active_clients()
    for _, client in pairs(all) do
      if client.name == 'dossier' then
        table.insert(found, client)
      end
    end
  end
  return found
end

local function is_ready(client)
  return client.initialized or (client.server_capabilities ~= nil and next(client.server_capabilities) ~= nil)
end

-- Line (0-based) of the first line of `bufnr` containing `needle`, and the byte column.
local function locate(bufnr, needle)
  for i, line in ipairs(vim.api.nvim_buf_get_lines(bufnr, 0, -1, false)) do
    local col = line:find(needle, 1, true)
    if col then
      return i - 1, col - 1
    end
  end
  error(('no line contains %q'):format(needle))
end

local function request(bufnr, method, params)
  local replies, err = vim.lsp.buf_request_sync(bufnr, method, params, 10000)
  assert(replies, ('%s: no reply (%s)'):format(method, tostring(err)))
  for _, reply in pairs(replies) do
    assert(reply.error == nil, ('%s: error %s'):format(method, inspect(reply.error)))
    return reply.result
  end
  error(method .. ': no client answered')
end

local function position_params(bufnr, line, character)
  return {
    textDocument = { uri = vim.uri_from_bufnr(bufnr) },
    position = { line = line, character = character },
  }
end

local function diagnostic_code(d)
  return d.code or (d.user_data and d.user_data.lsp and d.user_data.lsp.code)
end

local function floating_text()
  local texts = {}
  for _, win in ipairs(vim.api.nvim_list_wins()) do
    if vim.api.nvim_win_get_config(win).relative ~= '' then
      local buf = vim.api.nvim_win_get_buf(win)
      table.insert(texts, table.concat(vim.api.nvim_buf_get_lines(buf, 0, -1, false), '\n'))
    end
  end
  return table.concat(texts, '\n')
end

local function close_floats()
  for _, win in ipairs(vim.api.nvim_list_wins()) do
    if vim.api.nvim_win_get_config(win).relative ~= '' then
      pcall(vim.api.nvim_win_close, win, true)
    end
  end
end

-- Every text a completion item could put in the buffer or show.
local function item_texts(item)
  local texts = { item.label, item.insertText, item.filterText }
  if item.textEdit then
    table.insert(texts, item.textEdit.newText)
  end
  return table.concat(vim.tbl_filter(function(t)
    return type(t) == 'string'
  end, texts), ' ')
end

local function completion_items(result)
  if result == nil or result == vim.NIL then
    return {}
  end
  return result.items or result
end

local brief = vim.api.nvim_get_current_buf()
local client

local attached = check('the server starts and attaches to the brief', function()
  assert(vim.bo[brief].filetype == 'markdown', 'filetype is ' .. vim.bo[brief].filetype)
  local ok = vim.wait(15000, function()
    local clients = dossier_clients(brief)
    return #clients > 0 and is_ready(clients[1])
  end, 20)
  assert(ok, 'no initialized dossier client attached within 20 s')
  local clients = dossier_clients(brief)
  assert(#clients == 1, ('%d dossier clients attached'):format(#clients))
  client = clients[1]
end)

local function wait_diagnostics(bufnr, codes)
  local ok = vim.wait(15000, function()
    local seen = {}
    for _, d in ipairs(vim.diagnostic.get(bufnr)) do
      seen[diagnostic_code(d)] = true
    end
    for _, code in ipairs(codes) do
      if not seen[code] then
        return false
      end
    end
    return true
  end, 20)
  local got = {}
  for _, d in ipairs(vim.diagnostic.get(bufnr)) do
    table.insert(got, ('%d:%s:%s'):format(d.lnum + 1, tostring(diagnostic_code(d)), d.severity))
  end
  assert(ok, ('expected %s within 15 s; got {%s}'):format(table.concat(codes, ', '), table.concat(got, ', ')))
end

local function diagnostics_on(bufnr, needle, code)
  local line = locate(bufnr, needle)
  return vim.tbl_filter(function(d)
    return d.lnum == line and diagnostic_code(d) == code
  end, vim.diagnostic.get(bufnr))
end

if scenario == 'default' and attached then
  check('diagnostics: contradicts-source (warning) on the wrong date, unknown-source (error) on the unknown key', function()
    wait_diagnostics(brief, { 'contradicts-source', 'unknown-source' })
    local wrong = diagnostics_on(brief, 'July 2023', 'contradicts-source')
    assert(#wrong == 1, 'no contradicts-source on the July 2023 line: ' .. inspect(vim.diagnostic.get(brief)))
    assert(wrong[1].severity == vim.diagnostic.severity.WARN, 'severity ' .. wrong[1].severity)
    assert(wrong[1].message:find('July 2022', 1, true), 'message: ' .. wrong[1].message)
    local unknown = diagnostics_on(brief, 'nosuchkey2020', 'unknown-source')
    assert(#unknown == 1, 'no unknown-source on the nosuchkey2020 line')
    assert(unknown[1].severity == vim.diagnostic.severity.ERROR, 'severity ' .. unknown[1].severity)
    local right = diagnostics_on(brief, 'July 2022', 'contradicts-source')
    assert(#right == 0, 'contradicts-source on the correct date')
  end)

  check('hover (K) on `Putin` shows Vladimir Putin', function()
    local line, col = locate(brief, 'Putin traveled')
    vim.api.nvim_win_set_cursor(0, { line + 1, col + 1 })
    vim.lsp.buf.hover()
    local ok = vim.wait(5000, function()
      return floating_text():find('Vladimir Putin', 1, true) ~= nil
    end, 20)
    local text = floating_text()
    close_floats()
    assert(ok, 'hover window: ' .. (text == '' and '(none)' or text:sub(1, 300)))
  end)

  check('go to source (gd) on `[@berman2023, para. 13]` opens the paragraph about kamikaze drones', function()
    local line, col = locate(brief, 'para. 13')
    vim.api.nvim_win_set_cursor(0, { line + 1, col + 1 })
    vim.lsp.buf.definition()
    local ok = vim.wait(5000, function()
      return vim.api.nvim_get_current_buf() ~= brief
    end, 20)
    assert(ok, 'still in the brief after 5 s')
    local target = vim.api.nvim_get_current_buf()
    local name = vim.api.nvim_buf_get_name(target)
    local row = vim.api.nvim_win_get_cursor(0)[1]
    local shown = vim.api.nvim_buf_get_lines(target, row - 1, row, false)[1] or ''
    assert(uv.fs_stat(name), 'not a file on disk: ' .. name)
    local on_disk = vim.fn.readfile(name)[row] or ''
    vim.cmd('buffer ' .. brief)
    assert(shown:find('kamikaze', 1, true), ('%s:%d is %q'):format(name, row, shown:sub(1, 120)))
    assert(on_disk:find('kamikaze', 1, true), ('on disk, %s:%d is %q'):format(name, row, on_disk:sub(1, 120)))
  end)

  -- A new line being typed: `... [@` with the cursor after the `@`.
  local typed = 'Iran sent drones to Russia [@'
  vim.api.nvim_buf_set_lines(brief, -1, -1, false, { '', typed })
  local typed_line = vim.api.nvim_buf_line_count(brief) - 1

  check('completion after `[@` offers berman2023 (the request nvim-cmp and blink.cmp send)', function()
    assert(client.server_capabilities.completionProvider, 'the server announces no completionProvider')
    local result = request(brief, 'textDocument/completion', position_params(brief, typed_line, #typed))
    local items = completion_items(result)
    local labels = {}
    for _, item in ipairs(items) do
      if item_texts(item):find('berman2023', 1, true) then
        return
      end
      table.insert(labels, item.label)
    end
    error(('%d items, none with berman2023: %s'):format(#items, table.concat(labels, ', '):sub(1, 300)))
  end)

  if vim.lsp.completion and vim.lsp.completion.enable then
    check('built-in completion (vim.lsp.completion) after `[@` lists berman2023', function()
      assert(client.server_capabilities.completionProvider, 'the server announces no completionProvider')
      vim.lsp.completion.enable(true, client.id, brief, { autotrigger = false })
      vim.api.nvim_win_set_cursor(0, { typed_line + 1, #typed })
      -- Insert mode at the end of the line, then ask for completion as <C-x><C-o> would. The
      -- menu arrives asynchronously: a timer reads complete_info() while Neovim waits in Insert
      -- mode, and leaves Insert mode when done (feedkeys 'x!' returns then).
      local words, ok, done = {}, false, false
      local deadline = uv.now() + 5000
      local timer = uv.new_timer()
      timer:start(50, 50, vim.schedule_wrap(function()
        if not done then
          words = {}
          for _, item in ipairs(vim.fn.complete_info({ 'items' }).items or {}) do
            table.insert(words, item.word .. ' ' .. (item.abbr or ''))
          end
          ok = table.concat(words, ' '):find('berman2023', 1, true) ~= nil
          done = ok or uv.now() > deadline
        end
        if done then
          if vim.api.nvim_get_mode().mode:sub(1, 1) == 'i' then
            vim.api.nvim_input('<Esc>')
          else
            timer:stop()
            timer:close()
          end
        end
      end))
      vim.api.nvim_feedkeys(vim.api.nvim_replace_termcodes('A<Cmd>lua vim.lsp.completion.get()<CR>', true, false, true), 'x!', false)
      vim.wait(1000, function() return not timer:is_active() end, 20)
      assert(ok, ('completion menu: {%s}'):format(table.concat(words, ', '):sub(1, 300)))
    end)
  end
elseif scenario == 'settings' and attached then
  check('initializationOptions: corpus paths and a severity override dossier.toml', function()
    wait_diagnostics(brief, { 'unknown-source' })
    local theirs = diagnostics_on(brief, 'berman2023', 'unknown-source')
    assert(#theirs == 1, 'berman2023 is not unknown: the corpus paths were not used')
    assert(theirs[1].severity == vim.diagnostic.severity.WARN, 'severity ' .. theirs[1].severity .. ', not warning')
    local ours = diagnostics_on(brief, 'smith2024', 'unknown-source')
    assert(#ours == 0, 'smith2024 (sources/council.md) is unknown')
  end)
elseif scenario == 'both' and attached then
  check('vim.lsp.enable and setup() together start one server for two briefs', function()
    vim.cmd('edit ' .. vim.fn.fnameescape(assert(os.getenv('DOSSIER_TEST_SECOND'))))
    local second = vim.api.nvim_get_current_buf()
    local ok = vim.wait(5000, function()
      return #dossier_clients(second) > 0
    end, 20)
    assert(ok, 'the second brief got no client')
    vim.wait(500) -- a second start, if any, would show up by now
    local all = dossier_clients(nil)
    assert(#all == 1, ('%d dossier clients running'):format(#all))
    assert(#dossier_clients(brief) == 1 and #dossier_clients(second) == 1, 'not attached to both briefs')
  end)

  check('a brief opened after the server started gets its diagnostics', function()
    local second = vim.api.nvim_get_current_buf()
    assert(second ~= brief, 'the second brief is not open')
    wait_diagnostics(second, { 'contradicts-source', 'unknown-source' })
  end)
end

if attached then
  check('the server stops when asked (vim.lsp.stop_client)', function()
    vim.lsp.stop_client(client.id)
    local ok = vim.wait(5000, function()
      return vim.lsp.get_client_by_id(client.id) == nil
    end, 20)
    assert(ok, 'still running 5 s after stop')
  end)
end

out:close()
vim.cmd('qall!')
