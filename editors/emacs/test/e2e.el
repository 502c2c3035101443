;;; e2e.el --- Dossier in a real Emacs with eglot, in batch  -*- lexical-binding: t; -*-

;; Run by run.sh: `emacs --batch -l e2e.el' in a folder holding brief.md (no dossier.toml, so
;; the server uses its bundled seed corpus). Loads editors/emacs/dossier.el the way a user's
;; init does, opens the brief, lets `eglot-ensure' connect, then hovers, goes to source,
;; completes after `[@' and reads the diagnostics. Each check appends a line
;; `ok LABEL: NAME (N ms)' or `FAIL LABEL: NAME -- why' to $DOSSIER_TEST_OUT.

(require 'cl-lib)
(require 'subr-x)

(defvar dossier-test-label (or (getenv "DOSSIER_TEST_LABEL") (format "emacs-%s" emacs-version)))
(defvar dossier-test-out (or (getenv "DOSSIER_TEST_OUT") (error "DOSSIER_TEST_OUT is not set")))
(defvar dossier-test-dir (or (getenv "DOSSIER_EMACS_DIR") (error "DOSSIER_EMACS_DIR is not set")))

(defun dossier-test-record (line)
  (write-region (concat line "\n") nil dossier-test-out 'append 'silent))

(defmacro dossier-test-check (name &rest body)
  "Run BODY as the check NAME: it passes unless it signals an error."
  (declare (indent 1))
  `(let ((started (float-time)))
     (condition-case err
         (progn ,@body
                (dossier-test-record
                 (format "ok %s: %s (%d ms)" dossier-test-label ,name
                         (round (* 1000 (- (float-time) started)))))
                t)
       (error
        (dossier-test-record
         (format "FAIL %s: %s -- %s" dossier-test-label ,name
                 (replace-regexp-in-string "\n" " | " (error-message-string err))))
        nil))))

(defun dossier-test-wait (seconds predicate)
  "Let Emacs run (processes, timers) until PREDICATE holds or SECONDS pass."
  (let ((deadline (+ (float-time) seconds)))
    (while (and (not (funcall predicate)) (< (float-time) deadline))
      (accept-process-output nil 0.05))
    (funcall predicate)))

(defun dossier-test-goto (needle)
  "Put point on the first character of the first NEEDLE in the buffer."
  (goto-char (point-min))
  (unless (search-forward needle nil t)
    (error "No %S in the buffer" needle))
  (goto-char (match-beginning 0)))

;;; What a user's init does. A normal (not batch) start activates the installed packages
;;; (Debian's elpa-markdown-mode) before it; batch does not, so do it here.
(package-activate-all)
(add-to-list 'load-path dossier-test-dir)
(require 'dossier)
(when (equal (getenv "DOSSIER_TEST_MODE") "text")
  ;; No markdown-mode: briefs open in text-mode.
  (add-to-list 'auto-mode-alist '("\\.md\\'" . text-mode)))
(add-hook 'markdown-mode-hook #'eglot-ensure)
(add-hook 'text-mode-hook #'eglot-ensure)

;; Every publishDiagnostics eglot receives, to read the codes as sent.
(defvar dossier-test-published nil)
(advice-add 'eglot-handle-notification :before
            (lambda (_server method &rest params)
              (when (eq method 'textDocument/publishDiagnostics)
                (push params dossier-test-published))))

(setq eglot-sync-connect 10)
(find-file "brief.md")
(defvar dossier-test-brief (current-buffer))
;; eglot-ensure connects after the next command; in batch there is none, so run the hook.
(run-hooks 'post-command-hook)

(defvar dossier-test-server nil)

(defvar dossier-test-connected
  (dossier-test-check (format "eglot connects in %s" major-mode)
    (unless (memq major-mode '(markdown-mode text-mode gfm-mode))
      (error "The brief opened in %s" major-mode))
    (unless (dossier-test-wait 20 (lambda () (with-current-buffer dossier-test-brief
                                               (eglot-current-server))))
      (error "No eglot server for the brief after 20 s"))
    (setq dossier-test-server (with-current-buffer dossier-test-brief (eglot-current-server)))
    (unless (string-match-p "dossier" (format "%s" (process-command (jsonrpc--process dossier-test-server))))
      (error "The server is not dossier: %S" (process-command (jsonrpc--process dossier-test-server))))))

(defun dossier-test-codes ()
  "The diagnostic codes published for the brief so far."
  (let ((uri (with-current-buffer dossier-test-brief (eglot--path-to-uri buffer-file-name)))
        codes)
    (dolist (params dossier-test-published)
      (when (equal (plist-get params :uri) uri)
        (mapc (lambda (d) (push (plist-get d :code) codes)) (plist-get params :diagnostics))))
    codes))

(when dossier-test-connected
  (set-buffer dossier-test-brief)

  (dossier-test-check "diagnostics: contradicts-source and unknown-source reach Flymake"
    (unless (dossier-test-wait 15 (lambda () (and (member "contradicts-source" (dossier-test-codes))
                                                  (member "unknown-source" (dossier-test-codes)))))
      (error "Published codes after 15 s: %S" (dossier-test-codes)))
    (unless (dossier-test-wait
             5 (lambda ()
                 (with-current-buffer dossier-test-brief
                   (cl-some (lambda (d) (string-match-p "\\[contradicts-source\\]"
                                                        (flymake-diagnostic-text d)))
                            (flymake-diagnostics)))))
      (error "Flymake shows: %S"
             (with-current-buffer dossier-test-brief
               (mapcar #'flymake-diagnostic-text (flymake-diagnostics))))))

  (dossier-test-check "hover on `Putin' shows Vladimir Putin"
    (with-current-buffer dossier-test-brief
      (dossier-test-goto "Putin traveled")
      (let* ((reply (jsonrpc-request dossier-test-server :textDocument/hover
                                     (eglot--TextDocumentPositionParams)
                                     :timeout 10))
             (text (and reply (eglot--hover-info (plist-get reply :contents)))))
        (unless (and text (string-match-p "Vladimir Putin" text))
          (error "Hover: %S" text)))))

  (dossier-test-check "go to source (M-.) on `[@berman2023, para. 13]' opens the kamikaze paragraph"
    (set-buffer dossier-test-brief)
    (dossier-test-goto "para. 13")
    (let ((xref-prompt-for-identifier nil))
      (call-interactively #'xref-find-definitions))
    (unless (dossier-test-wait 5 (lambda () (not (eq (current-buffer) dossier-test-brief))))
      (error "Still in the brief"))
    (let ((file buffer-file-name)
          (line (buffer-substring-no-properties (line-beginning-position) (line-end-position))))
      (set-buffer dossier-test-brief)
      (unless (and file (file-readable-p file))
        (error "Not a file on disk: %S" file))
      (unless (string-match-p "kamikaze" line)
        (error "%s at the target line: %S" file (substring line 0 (min 120 (length line)))))))

  (dossier-test-check "completion after `[@' offers berman2023 (completion-at-point)"
    (with-current-buffer dossier-test-brief
      (goto-char (point-max))
      (insert "\nIran sent drones to Russia [@")
      (unless (eglot--server-capable :completionProvider)
        (error "The server announces no completionProvider"))
      (let* ((capf (eglot-completion-at-point))
             (table (nth 2 capf))
             (prefix (buffer-substring-no-properties (nth 0 capf) (nth 1 capf)))
             (candidates (all-completions prefix table)))
        (unless (cl-some (lambda (c) (string-match-p "berman2023" c)) candidates)
          (error "Candidates: %S" (seq-take candidates 20))))))

  ;; eglot 1.9 deletes the process right after `exit' (jsonrpc-shutdown), so the exit status
  ;; is eglot's SIGKILL, not the server's. eglot-shutdown signals an error unless the server
  ;; answers `shutdown'.
  (dossier-test-check "eglot-shutdown: the server answers shutdown and stops"
    (let ((process (jsonrpc--process dossier-test-server)))
      (eglot-shutdown dossier-test-server nil 10)
      (unless (dossier-test-wait 5 (lambda () (not (process-live-p process))))
        (error "The server still runs 5 s after shutdown")))))

(kill-emacs 0)

;;; e2e.el ends here
