# 巡察工作管理平台 — the two commands: `make demo` and `make test`.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
PIP := $(VENV)/bin/pip
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: demo test setup assets lint lock e2e-deps clean serve check-deploy

$(VENV)/.installed: requirements.lock pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(PIP) install --quiet --upgrade pip
	$(PIP) install --quiet -r requirements.lock
	$(PIP) install --quiet --no-deps -e .
	touch $@

node_modules/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	touch $@

setup: $(VENV)/.installed node_modules/.installed

assets: node_modules/.installed

## make demo: install, migrate SQLite, load the demo data (once), serve on 127.0.0.1:8000
demo: setup
	$(PY) manage.py migrate --noinput
	$(PY) manage.py demo_data --if-empty
	$(PY) manage.py planning_demo --if-empty
	$(PY) manage.py teams_demo --if-empty
	$(PY) manage.py dupcheck_demo --if-empty
	$(PY) manage.py indicators_demo --if-empty
	$(PY) manage.py fieldwork_demo --if-empty
	$(PY) manage.py surveys_demo --if-empty
	$(PY) manage.py findings_demo --if-empty
	$(PY) manage.py reporting_demo --if-empty
	$(PY) manage.py rectification_demo --if-empty
	@echo ""
	@echo "演示地址：http://$(HOST):$(PORT)/  （Ctrl+C 停止）"
	$(PY) manage.py runserver $(HOST):$(PORT) --insecure

serve: setup
	$(PY) manage.py runserver $(HOST):$(PORT) --insecure

## make test: every test (SQLite by default; PostgreSQL when DATABASE_URL names one)
test: setup e2e-deps
	$(PY) -m pytest $(PYTEST_ARGS)

# The browser tests drive Debian's chromium; install it (and a Chinese font) where it is missing.
e2e-deps:
	@command -v chromium >/dev/null 2>&1 || { \
		echo "安装 chromium 与中文字体（浏览器测试需要）…"; \
		apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium fonts-wqy-microhei >/dev/null; }

lint: setup
	$(VENV)/bin/ruff check .

check-deploy: setup
	SECRET_KEY=$$($(PY) -c 'import secrets;print(secrets.token_urlsafe(64))') AUDIT_HMAC_KEY=x \
	DJANGO_SETTINGS_MODULE=xuncha.settings.production $(PY) manage.py check --deploy --fail-level WARNING

# Regenerate the lock file after changing requirements.in.
lock:
	rm -rf /tmp/xuncha-lock && $(PYTHON) -m venv /tmp/xuncha-lock
	/tmp/xuncha-lock/bin/pip install --quiet -r requirements.in
	/tmp/xuncha-lock/bin/pip freeze > requirements.lock

clean:
	rm -rf $(VENV) node_modules staticfiles
