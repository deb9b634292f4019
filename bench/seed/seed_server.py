# The seed project's chat server: the Python, thread-per-client server this project started from,
# reconstructed from the seed's report (Relatório do Projeto 01, /work/shared/seed-report.txt,
# section 2). It is kept ONLY as a benchmark baseline for `chat-bench throughput --target seed`
# (see bench/README.md) and is not part of the product. Its behaviour is the seed's own, bugs
# included: the global lock is held while writing to sockets, every message is committed to
# SQLite and printed, one sqlite cursor is shared by all threads, and `sender` is taken from the
# client's frame. Note that a logged-in client's disconnection deadlocks it (handle_client's
# `finally` takes the non-reentrant lock, then notify_user_logout takes it again): restart it
# before every benchmark run.
#
# The only differences from the seed, each marked "BENCH:" below: host, port and database file
# from the command line, a larger listen() backlog, and a flushed start-up line.
#
#   python3 seed_server.py --port 12346 --db ./chat.db [--host 127.0.0.1]

import argparse  # BENCH: for the command-line options below
import socket
import json
import threading
import sqlite3
import time
import hashlib
from datetime import datetime

HOST = '127.0.0.1'
PORT = 12346
DB_FILE = 'chat.db'  # BENCH: the seed's fixed 'chat.db', now --db (set in __main__)

class ChatServer:
    def __init__(self):
        self.server_socket = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        # Permite reutilizar o endereço imediatamente após o fechamento, evitando "Address already in use"
        self.server_socket.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self.server_socket.bind((HOST, PORT))
        self.server_socket.listen(1024)  # BENCH: listen(5) in the seed; raised so 100+ connections can queue

        # Estruturas para gerenciamento de clientes
        self.connected_clients = {}  # {username: socket}
        self.typing_status = {}      # {username: {'typing_to': recipient, 'since': timestamp}}
        self.lock = threading.Lock() # Um lock para proteger o acesso a self.connected_clients e self.typing_status

        # Inicialização do banco de dados
        self.init_db()

        print(f"Servidor de chat iniciado em {HOST}:{PORT}", flush=True)  # BENCH: flush, so a script sees it is ready
        # Inicia uma thread em segundo plano para verificar clientes inativos
        threading.Thread(target=self.check_inactive_clients, daemon=True).start()

    def init_db(self):
        """Inicializa o banco de dados SQLite para usuários e mensagens."""
        self.conn = sqlite3.connect(DB_FILE, check_same_thread=False)  # BENCH: 'chat.db' in the seed
        self.cursor = self.conn.cursor()

        # Tabela de usuários: armazena username e senha (hashed)
        self.cursor.execute('''CREATE TABLE IF NOT EXISTS users
                               (username TEXT PRIMARY KEY, password TEXT)''')

        # Tabela de mensagens: armazena mensagens, com status de entrega
        self.cursor.execute('''CREATE TABLE IF NOT EXISTS messages
                               (id INTEGER PRIMARY KEY AUTOINCREMENT,
                                sender TEXT, receiver TEXT,
                                message TEXT, timestamp DATETIME,
                                delivered BOOLEAN DEFAULT 0)''')
        self.conn.commit() # Salva as mudanças no banco de dados

    def hash_password(self, password):
        """Aplica hash SHA-256 à senha para armazenamento seguro."""
        return hashlib.sha256(password.encode()).hexdigest()

    def start(self):
        """Inicia o servidor para aceitar conexões de clientes em um loop contínuo."""
        try:
            while True:
                client_socket, addr = self.server_socket.accept() # Aceita uma nova conexão
                print(f"Nova conexão de {addr}")
                # Inicia uma nova thread para lidar com este cliente, para não bloquear o servidor
                threading.Thread(target=self.handle_client, args=(client_socket,)).start()
        except KeyboardInterrupt:
            print("\nDesligando servidor...")
        finally:
            self.server_socket.close() # Fecha o socket do servidor
            self.conn.close() # Fecha a conexão com o banco de dados

    def handle_client(self, client_socket):
        """Lida com a comunicação de um cliente específico, incluindo buffering de mensagens."""
        username = None # Variável para armazenar o username do cliente logado
        buffer = "" # Buffer para armazenar dados parciais da mensagem
        try:
            while True:
                data = client_socket.recv(4096).decode('utf-8')
                if not data:
                    break # Se não houver dados, o cliente desconectou

                buffer += data # Adiciona os novos dados ao buffer

                while '\n' in buffer: # Processa mensagens delimitadas por '\n'
                    message_str, buffer = buffer.split('\n', 1) # Divide no primeiro '\n'
                    if message_str.strip(): # Garante que não é uma string vazia após a divisão
                        try:
                            message = json.loads(message_str)
                            # Se for uma mensagem de login, armazena o username para o logout
                            if message.get('type') == 'login' and message.get('username'):
                                username = message.get('username')
                            self.process_message(client_socket, message)
                        except json.JSONDecodeError:
                            print(f"Mensagem JSON inválida recebida de {username if username else 'desconhecido'}: '{message_str}'")
                        except Exception as e:
                            print(f"Erro ao processar mensagem de {username if username else 'desconhecido'}: {e}")

        except Exception as e:
            print(f"Erro no cliente ({username if username else 'desconhecido'}): {e}")
        finally:
            # Limpeza ao desconectar
            if username:
                with self.lock:
                    if username in self.connected_clients and self.connected_clients[username] == client_socket:
                        self.notify_user_logout(username) # Notifica outros usuários sobre o logout
                        del self.connected_clients[username]
                        print(f"Cliente {username} desconectado.")
            client_socket.close() # Fecha o socket do cliente

    def process_message(self, client_socket, message):
        """Processa diferentes tipos de mensagens recebidas do cliente."""
        msg_type = message.get('type')

        if msg_type == 'register':
            self.handle_register(client_socket, message)
        elif msg_type == 'login':
            self.handle_login(client_socket, message)
        elif msg_type == 'logout':
            pass
        elif msg_type == 'message':
            self.handle_message(client_socket, message) # Passa client_socket para poder enviar resposta de erro
        elif msg_type == 'typing':
            self.handle_typing(message)
        elif msg_type == 'stop_typing':
            self.handle_stop_typing(message)
        elif msg_type == 'get_users':
            self.send_user_list(client_socket)
        elif msg_type == 'ping':
            pass
        else:
            print(f"Tipo de mensagem desconhecido: {msg_type}")

    def handle_register(self, client_socket, message):
        """Processa o registro de um novo usuário."""
        username = message.get('username')
        password = message.get('password')

        try:
            hashed_pw = self.hash_password(password)
            self.cursor.execute("INSERT INTO users VALUES (?, ?)", (username, hashed_pw))
            self.conn.commit()
            self.send_response(client_socket, {'type': 'register_response', 'status': 'success'})
            print(f"Usuário {username} registrado com sucesso.")
        except sqlite3.IntegrityError:
            self.send_response(client_socket, {'type': 'register_response', 'status': 'error', 'message': 'Usuário já existe'})
            print(f"Erro ao registrar {username}: Usuário já existe.")
        except Exception as e:
            self.send_response(client_socket, {'type': 'register_response', 'status': 'error', 'message': str(e)})
            print(f"Erro ao registrar {username}: {e}")

    def handle_login(self, client_socket, message):
        """Processa o login de um usuário existente."""
        username = message.get('username')
        password = message.get('password')

        try:
            hashed_pw = self.hash_password(password)
            self.cursor.execute("SELECT password FROM users WHERE username=?", (username,))
            result = self.cursor.fetchone()

            if result and result[0] == hashed_pw:
                with self.lock:
                    # Verifica se o usuário já está conectado em outro lugar
                    if username in self.connected_clients:
                        self.send_response(client_socket, {
                            'type': 'login_response',
                            'status': 'error',
                            'message': 'Usuário já está conectado.'
                        })
                        print(f"Tentativa de login de {username} falhou: já conectado.")
                        return

                    self.connected_clients[username] = client_socket

                self.send_response(client_socket, {
                    'type': 'login_response',
                    'status': 'success',
                    'username': username
                })
                print(f"Usuário {username} logado com sucesso.")

                self.send_pending_messages(username)
                self.notify_user_login(username)
            else:
                self.send_response(client_socket, {
                    'type': 'login_response',
                    'status': 'error',
                    'message': 'Credenciais inválidas'
                })
                print(f"Tentativa de login de {username} falhou: credenciais inválidas.")

        except Exception as e:
            self.send_response(client_socket, {
                'type': 'login_response',
                'status': 'error',
                'message': str(e)
            })
            print(f"Erro durante o login de {username}: {e}")

    def handle_message(self, client_socket, message): # Adicionado client_socket como parâmetro
        """Processa o envio de uma mensagem de um usuário para outro."""
        sender = message.get('sender')
        receiver = message.get('receiver')
        content = message.get('content')
        timestamp = datetime.now().strftime("%Y-%m-%d %H:%M:%S")

        # VERIFICAÇÃO: Checa se o usuário destinatário existe no banco de dados
        self.cursor.execute("SELECT username FROM users WHERE username=?", (receiver,))
        if not self.cursor.fetchone():
            # Se o destinatário não existe, envia uma mensagem de erro de volta para o remetente
            error_msg = {
                'type': 'message_error',
                'recipient': receiver,
                'message': f"O usuário '{receiver}' não existe."
            }
            self.send_response(client_socket, error_msg)
            print(f"Tentativa de mensagem para usuário inexistente '{receiver}' por {sender}.")
            return # Encerra a função, não prossegue com o envio/armazenamento da mensagem

        with self.lock:
            if receiver in self.connected_clients:  # Usuário online
                try:
                    msg = {
                        'type': 'message',
                        'sender': sender,
                        'content': content,
                        'timestamp': timestamp
                    }
                    # Adiciona \n para enquadramento da mensagem
                    self.connected_clients[receiver].send(json.dumps(msg).encode('utf-8') + b'\n')

                    # Registrar mensagem como entregue
                    self.cursor.execute(
                        "INSERT INTO messages (sender, receiver, message, timestamp, delivered) VALUES (?, ?, ?, ?, ?)",
                        (sender, receiver, content, timestamp, 1)
                    )
                    self.conn.commit()
                    print(f"Mensagem de {sender} para {receiver} entregue: '{content}'")
                except Exception as e:
                    print(f"Erro ao enviar mensagem para {receiver}: {e}. Salvando como pendente.")
                    # Se houver erro no envio, salva como pendente (caso não esteja já)
                    self.cursor.execute(
                        "INSERT INTO messages (sender, receiver, message, timestamp) VALUES (?, ?, ?, ?)",
                        (sender, receiver, content, timestamp)
                    )
                    self.conn.commit()
            else:  # Usuário offline
                self.cursor.execute(
                    "INSERT INTO messages (sender, receiver, message, timestamp) VALUES (?, ?, ?, ?)",
                    (sender, receiver, content, timestamp)
                )
                self.conn.commit()
                print(f"Mensagem de {sender} para {receiver} salva (offline): '{content}'")

    def handle_typing(self, message):
        """Processa e retransmite o indicador de digitação."""
        username = message.get('username')
        recipient = message.get('recipient')

        with self.lock:
            self.typing_status[username] = {
                'typing_to': recipient,
                'since': time.time()
            }

            if recipient in self.connected_clients:
                notification = {
                    'type': 'typing_notification',
                    'from': username,
                    'status': 'typing'
                }
                try:
                    # Adiciona \n para enquadramento da mensagem
                    self.connected_clients[recipient].send(json.dumps(notification).encode('utf-8') + b'\n')
                except Exception as e:
                    print(f"Erro ao enviar notificação de digitação para {recipient}: {e}")

    def handle_stop_typing(self, message):
        """Processa e retransmite a parada de digitação."""
        username = message.get('username')

        with self.lock:
            if username in self.typing_status:
                recipient = self.typing_status[username]['typing_to']
                del self.typing_status[username]

                if recipient in self.connected_clients:
                    notification = {
                        'type': 'typing_notification',
                        'from': username,
                        'status': 'stopped'
                    }
                    try:
                        # Adiciona \n para enquadramento da mensagem
                        self.connected_clients[recipient].send(json.dumps(notification).encode('utf-8') + b'\n')
                    except Exception as e:
                        print(f"Erro ao enviar notificação de parada de digitação para {recipient}: {e}")

    def send_pending_messages(self, username):
        """Envia mensagens pendentes para um usuário que acabou de logar."""
        try:
            self.cursor.execute(
                "SELECT sender, message, timestamp, id FROM messages WHERE receiver=? AND delivered=0",
                (username,)
            )
            messages = self.cursor.fetchall()

            if not messages:
                print(f"Nenhuma mensagem pendente para {username}.")
                return

            print(f"Enviando {len(messages)} mensagens pendentes para {username}...")
            with self.lock:
                if username in self.connected_clients:
                    for sender, content, timestamp, msg_id in messages:
                        msg = {
                            'type': 'message',
                            'sender': sender,
                            'content': content,
                            'timestamp': timestamp
                        }
                        try:
                            # Adiciona \n para enquadramento da mensagem
                            self.connected_clients[username].send(json.dumps(msg).encode('utf-8') + b'\n')
                            self.cursor.execute(
                                "UPDATE messages SET delivered=1 WHERE id=?", (msg_id,)
                            )
                            self.conn.commit()
                            print(f"  - Mensagem pendente de {sender} entregue.")
                        except Exception as e:
                            print(f"  - Erro ao re-enviar mensagem pendente de {sender} para {username}: {e}")
                            pass
        except Exception as e:
            print(f"Erro ao enviar mensagens pendentes para {username}: {e}")

    def notify_user_login(self, username):
        """Notifica outros usuários online sobre um novo login."""
        with self.lock:
            for user, sock in self.connected_clients.items():
                if user != username:
                    notification = {
                        'type': 'user_status',
                        'username': username,
                        'status': 'online'
                    }
                    try:
                        # Adiciona \n para enquadramento da mensagem
                        sock.send(json.dumps(notification).encode('utf-8') + b'\n')
                    except Exception as e:
                        print(f"Erro ao notificar status de {username} para {user}: {e}")

    def notify_user_logout(self, username):
        """Notifica outros usuários online sobre um logout."""
        with self.lock:
            for user, sock in self.connected_clients.items():
                if user != username:
                    notification = {
                        'type': 'user_status',
                        'username': username,
                        'status': 'offline'
                    }
                    try:
                        # Adiciona \n para enquadramento da mensagem
                        sock.send(json.dumps(notification).encode('utf-8') + b'\n')
                    except Exception as e:
                        print(f"Erro ao notificar status de {username} para {user}: {e}")
            if username in self.typing_status:
                del self.typing_status[username]

    def send_user_list(self, client_socket):
        """Envia a lista de todos os usuários (online e offline) para o cliente solicitante."""
        try:
            with self.lock:
                online_users = list(self.connected_clients.keys())

            self.cursor.execute("SELECT username FROM users")
            all_users = [row[0] for row in self.cursor.fetchall()]

            user_list = []
            for user in all_users:
                status = 'online' if user in online_users else 'offline'
                user_list.append({'username': user, 'status': status})

            response = {
                'type': 'user_list',
                'users': user_list
            }
            # Adiciona \n para enquadramento da mensagem
            self.send_response(client_socket, response)
            print("Lista de usuários enviada.")

        except Exception as e:
            print(f"Erro ao enviar lista de usuários: {e}")

    def send_response(self, client_socket, response):
        """Envia uma resposta genérica para o cliente, com enquadramento de mensagem."""
        try:
            # Adiciona \n para enquadramento da mensagem
            client_socket.send(json.dumps(response).encode('utf-8') + b'\n')
        except Exception as e:
            print(f"Erro ao enviar resposta para cliente: {e}")

    def check_inactive_clients(self):
        """Verifica periodicamente clientes inativos enviando pings."""
        while True:
            time.sleep(30)
            with self.lock:
                to_remove = []
                for username, sock in list(self.connected_clients.items()):
                    try:
                        # Adiciona \n para enquadramento da mensagem
                        sock.send(json.dumps({'type': 'ping'}).encode('utf-8') + b'\n')
                    except Exception as e:
                        print(f"Cliente {username} inativo ou erro de socket: {e}")
                        to_remove.append(username)

                for username in to_remove:
                    print(f"Removendo cliente inativo: {username}")
                    del self.connected_clients[username]
                    self.notify_user_logout(username)

if __name__ == "__main__":
    # BENCH: host, port and database file from the command line (the seed hard-codes them)
    parser = argparse.ArgumentParser(description="The seed project's chat server (a benchmark baseline only)")
    parser.add_argument('--host', default=HOST)
    parser.add_argument('--port', type=int, default=PORT)
    parser.add_argument('--db', default=DB_FILE, help='SQLite database file (default ./chat.db)')
    options = parser.parse_args()
    HOST, PORT, DB_FILE = options.host, options.port, options.db
    server = ChatServer()
    server.start()
